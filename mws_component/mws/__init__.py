"""The MWS client: its operation table, Signature Version 2, the MWS envelope, its quota model,
the Orders and Feeds sections, and the seller's account when MWS answers (account.py)."""
