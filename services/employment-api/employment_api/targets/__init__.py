"""Employment targets for the district, towns and villages for any month, each figure linked to its people."""
