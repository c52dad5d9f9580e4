"""Stories as authors write them: loading YAML with every problem located, cross-checks, the scaffold, --watch."""
