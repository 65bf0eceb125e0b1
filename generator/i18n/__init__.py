"""The toolkit in several languages: record translations, the generator's own words, and
per-language builds. See CONTRIBUTING.md (Translations) and README.md (Languages)."""
