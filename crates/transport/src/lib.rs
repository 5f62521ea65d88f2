//! hearth-transport (skeleton; being built).
