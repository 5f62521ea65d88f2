//! hearth-tl-parser (skeleton; being built).
