//! hearth-store (skeleton; being built).
