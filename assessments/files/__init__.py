"""What an uploaded file is, checked before anything keeps it: its kind from its content (documents.py), zip archives
opened within limits (archives.py), active content in Office and PDF files, and the virus scan (scanning.py)."""
