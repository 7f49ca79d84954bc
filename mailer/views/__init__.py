"""The mailer's screens, one module each: the Mailing list, Templates, Unsubscribers / Send
block, the mailer's Settings tabs, and the public pages for recipients."""
