"""The back office's store pages."""
