"""The library layer: recommended questions countries adopt, contextualise and compare.

- `source.py`: where a country's library is (a folder, or a git repository at a pinned tag)
- `loading.py`: the library kb read with the country loader (same checks, same reports)
- `adoption.py`: a country question = library question + overrides, each with its reason
- `search.py`, `update.py`, `companion.py`, `compare.py`: what the commands do

Click-free: generator/cli.py holds the commands.
"""
