"""Send requests, mails and recipients, delivery over SMTP, templates, unsubscribe and tracking."""
