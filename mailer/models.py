"""Models of the mailer app (send requests, mails, recipients) arrive with the delivery engine."""
