//! hearth-tl (skeleton; being built).
