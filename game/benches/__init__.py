"""`adventure bench ...`: one module per benchmark, each above the layers it measures."""
