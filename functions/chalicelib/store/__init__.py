"""Storage: the only package that talks to DynamoDB (store.dynamo) and its in-memory twin
(store.memory). Both implement store.base.Store and pass the same contract tests."""
