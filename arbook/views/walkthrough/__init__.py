"""The consultant's walkthrough: its story text, the data picker and the ladder's steps form."""
