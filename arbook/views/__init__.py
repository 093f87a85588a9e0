"""Presentation: turning arbook's frames into text, tables and (later) charts and widgets."""
