//! hearth-diagnose (skeleton; being built).
