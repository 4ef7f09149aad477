"""Mail out: the January send-out and the reminders as one mail per recipient with that recipient's
forms attached, the text from an editable template (skabeloner/mail/*.txt). Written as `.eml`
drafts (`X-Unsent: 1`, Outlook opens them ready to send) or sent by SMTP, every sent mail recorded
in the store so a second run sends nothing twice. Mail *in* is returns.mail."""
