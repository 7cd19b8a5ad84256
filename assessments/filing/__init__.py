"""Filling in a draft: what a section's page posts, read in one place (section_post.py), and the three-way merge of
a section's save with colleagues' saves since (merge.py). The workflows that use them are in services/."""
