//! hearth-mtproto (skeleton; being built).
