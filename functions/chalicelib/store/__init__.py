"""Storage: the only package that talks to DynamoDB (store.dynamo) and its in-memory twin
(store.memory). Both implement model.store.Store, one class per capability in modules of the
same names, and pass the same contract suite (tests/unit/store_contract/). keys.py builds and
parses every key; rules.py holds what both twins must do the same way."""
