"""Reading a case: files to documents, loading a case folder, chunking, pseudonymization and the instruction-text scan."""
