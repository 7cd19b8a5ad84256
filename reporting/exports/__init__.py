"""A review's or a comparison's export, in three steps: asked for and made once (jobs.py), what the file holds
(content.py), the file as its reader gets it (files.py). The pages and the API ask through jobs.py."""
