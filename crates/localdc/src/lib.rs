//! localdc (skeleton; being built).
