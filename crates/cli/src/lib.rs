//! hearth-cli (skeleton; being built).
