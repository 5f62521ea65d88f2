//! A connection's byte pipeline, sans-IO: framing inside optional
//! obfuscated2 inside optional fake-TLS records. Feed it whatever the socket
//! produced, pull frames out, and write what [`Pipeline::send`] appends.
//!
//! Set one up with [`connect`](crate::connect()) (client) or
//! [`Acceptor`](crate::Acceptor) (server).
//!
//! Received bytes live in one `BytesMut`: a reader that can write into it
//! ([`Pipeline::read_buf`], then [`Pipeline::commit_read`]) lands socket
//! bytes where frames are cut from, with no copy in user space; [`Pipeline::feed`]
//! copies them in once. Frames are cut by advancing the buffer's start; the
//! space before it is reused (the unframed rest moved to the front) when
//! the buffer needs room. De-obfuscation runs over each byte once, in
//! stream order, as it enters the buffer.

use bytes::{Buf, BytesMut};

use crate::error::{TransportError, TransportErrorCode};
use crate::fake_tls::{RecordReader, RecordWriter};
use crate::framing::{Frame, Framing, Role};
use crate::obfuscated::Obfuscated2;

/// The bytes a frame puts before and after its payload (head, tail).
pub type Around = (Vec<u8>, Vec<u8>);

/// An established connection's codec stack.
pub struct Pipeline {
    framing: Box<dyn Framing>,
    obfuscation: Option<Obfuscated2>,
    tls: Option<(RecordReader, RecordWriter)>,
    /// Received bytes not yet unwrapped from TLS records.
    raw: Vec<u8>,
    /// Received, decrypted bytes not yet cut into frames.
    plain: BytesMut,
    /// Where the bytes of a [`Pipeline::read_buf`] in progress start in
    /// `plain`.
    reading: Option<usize>,
    /// Set once a framing error occurred; the stream is unusable after it.
    failed: Option<TransportError>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("role", &self.framing.role())
            .field("tag", &self.framing.tag())
            .field("obfuscated", &self.obfuscation.is_some())
            .field("fake_tls", &self.tls.is_some())
            .field("buffered", &(self.raw.len() + self.plain.len()))
            .finish()
    }
}

impl Pipeline {
    /// Assembles a pipeline from its layers.
    pub fn new(
        framing: Box<dyn Framing>,
        obfuscation: Option<Obfuscated2>,
        tls: Option<(RecordReader, RecordWriter)>,
    ) -> Self {
        Self {
            framing,
            obfuscation,
            tls,
            raw: Vec::new(),
            plain: BytesMut::new(),
            reading: None,
            failed: None,
        }
    }

    /// The side this pipeline serves.
    pub fn role(&self) -> Role {
        self.framing.role()
    }

    /// The framing's obfuscated2 tag (`None` for the full transport).
    pub fn tag(&self) -> Option<crate::framing::ProtocolTag> {
        self.framing.tag()
    }

    /// Whether the stream is obfuscated / wrapped in fake-TLS.
    pub fn layers(&self) -> (bool, bool) {
        (self.obfuscation.is_some(), self.tls.is_some())
    }

    /// Takes bytes received from the socket, in order.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        self.check()?;
        self.commit_read();
        match &mut self.tls {
            Some((reader, _)) => {
                self.raw.extend_from_slice(bytes);
                let mut inner = Vec::new();
                let used = reader.unwrap(&self.raw, &mut inner).inspect_err(|e| {
                    self.failed = Some(e.clone());
                })?;
                self.raw.drain(..used);
                self.feed_inner(&mut inner);
            }
            None => {
                // Straight into the frame buffer: one copy, decrypted there.
                let start = self.plain.len();
                self.plain.extend_from_slice(bytes);
                if let Some(obf) = &mut self.obfuscation {
                    obf.decrypt(&mut self.plain[start..]);
                }
            }
        }
        Ok(())
    }

    /// The buffer the next socket read may append to directly (with room
    /// for at least `room` bytes), so received bytes are never copied in
    /// user space; call [`commit_read`](Self::commit_read) after the read.
    /// `None` under fake-TLS (records are unwrapped from a buffer of their
    /// own: use [`feed`](Self::feed)) or after an error.
    pub fn read_buf(&mut self, room: usize) -> Option<&mut BytesMut> {
        if self.tls.is_some() || self.failed.is_some() {
            return None;
        }
        if self.reading.is_none() {
            self.reading = Some(self.plain.len());
        }
        self.plain.reserve(room);
        Some(&mut self.plain)
    }

    /// Takes the bytes appended to [`read_buf`](Self::read_buf)'s buffer
    /// since it was handed out (de-obfuscating them there).
    pub fn commit_read(&mut self) {
        let Some(start) = self.reading.take() else {
            return;
        };
        if let Some(obf) = &mut self.obfuscation {
            obf.decrypt(&mut self.plain[start..]);
        }
    }

    /// Takes bytes already unwrapped from TLS records (still obfuscated).
    pub(crate) fn feed_inner(&mut self, bytes: &mut [u8]) {
        if let Some(obf) = &mut self.obfuscation {
            obf.decrypt(bytes);
        }
        self.plain.extend_from_slice(bytes);
    }

    /// Keeps bytes of an incomplete TLS record for the next [`feed`](Self::feed).
    pub(crate) fn keep_raw(&mut self, bytes: &[u8]) {
        self.raw.extend_from_slice(bytes);
    }

    /// The next complete frame, or `None` until more bytes are fed. After an
    /// error every call repeats it: close the connection.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, TransportError> {
        self.check()?;
        self.commit_read();
        match self.framing.unpack(&self.plain) {
            Ok(Some((frame, used))) => {
                self.plain.advance(used);
                Ok(Some(frame))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                self.failed = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Appends the wire bytes of one packet to `out`.
    pub fn send(&mut self, payload: &[u8], out: &mut Vec<u8>) -> Result<(), TransportError> {
        self.send_with(payload, false, out)
    }

    /// Like [`send`](Self::send), optionally asking for a quick ack (client).
    pub fn send_with(
        &mut self,
        payload: &[u8],
        quick_ack: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        let mut framed = Vec::with_capacity(payload.len() + 20);
        self.framing.pack_with(payload, quick_ack, &mut framed)?;
        self.emit(framed, out);
        Ok(())
    }

    /// [`send`](Self::send) of a packet the caller owns, without copying
    /// it: returns the bytes to write before and after `payload` (which is
    /// encrypted in place on an obfuscated stream, the keystream running
    /// over head, payload and tail in that order), for one vectored write.
    /// `None` under fake-TLS, whose records need the copy: use `send`.
    pub fn send_around(&mut self, payload: &mut [u8]) -> Result<Option<Around>, TransportError> {
        if self.tls.is_some() {
            return Ok(None);
        }
        let (mut head, mut tail) = (Vec::with_capacity(8), Vec::new());
        self.framing
            .pack_around(payload, false, &mut head, &mut tail)?;
        if let Some(obf) = &mut self.obfuscation {
            obf.encrypt(&mut head);
            obf.encrypt(payload);
            obf.encrypt(&mut tail);
        }
        Ok(Some((head, tail)))
    }

    /// Server: appends a quick-ack token for the client.
    pub fn send_quick_ack(&mut self, token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
        let mut framed = Vec::with_capacity(4);
        self.framing.pack_quick_ack(token, &mut framed)?;
        self.emit(framed, out);
        Ok(())
    }

    /// Server: appends a transport error frame (`-404`, `-429`, `-444`, ...).
    pub fn send_error(
        &mut self,
        code: TransportErrorCode,
        out: &mut Vec<u8>,
    ) -> Result<(), TransportError> {
        let mut framed = Vec::with_capacity(24);
        self.framing.pack_error(code, &mut framed)?;
        self.emit(framed, out);
        Ok(())
    }

    /// Encrypts and record-wraps already framed (or header) bytes.
    pub(crate) fn emit(&mut self, mut bytes: Vec<u8>, out: &mut Vec<u8>) {
        if let Some(obf) = &mut self.obfuscation {
            obf.encrypt(&mut bytes);
        }
        if self.tls.is_none() && out.is_empty() {
            // Nothing to wrap and nothing before it: hand the buffer over
            // instead of copying it (a 1 MiB file part is the common case).
            *out = bytes;
            return;
        }
        self.emit_encrypted(&bytes, out);
    }

    /// Record-wraps bytes that are already encrypted (the obfuscated2 header).
    pub(crate) fn emit_encrypted(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        match &mut self.tls {
            Some((_, writer)) => writer.wrap(bytes, out),
            None => out.extend_from_slice(bytes),
        }
    }

    fn check(&self) -> Result<(), TransportError> {
        match &self.failed {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}
