//! hearth-tl-gen (skeleton; being built).
