"""The record life cycle: one way to create, read, update and delete each of the seven record kinds."""
