//! hearth-sender (skeleton; being built).
