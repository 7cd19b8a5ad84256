"""Filling in a draft: what a section's page posts (section_post.py), the three-way merge of a save with colleagues'
saves (merge.py), an earlier cycle's answers as the filer sees them (carried.py). The workflows are in services/."""
