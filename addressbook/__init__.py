"""The address book: recipient groups and addresses, their AND/OR combination, import and API."""
