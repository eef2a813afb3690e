"""2. Package: claims -> tables (rows, evidence, differences) -> data/*.csv and datapackage.json."""
