"""The report as people read it: the view-model, its renderers (Markdown, HTML, Word) and templates, the diff."""
