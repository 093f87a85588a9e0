"""Presentation: labels and number formats, HTML pieces and Altair charts shared by the apps
(``dashboard/``, ``review/``, ``walkthrough/``, ``credit/``). No business rule lives here."""
