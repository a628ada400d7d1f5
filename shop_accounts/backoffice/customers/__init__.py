"""The back office's customer pages: the customer list and record, its
account review, sign-in security and event trail, and the approval queue."""
