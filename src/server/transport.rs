//! The stdio transport of `dslint server`: LSP's `Content-Length` framing, read and written
//! with `lsp-server`'s [`Message`] on two threads, joined to the protocol loop by an in-memory
//! [`Connection`].
//!
//! Unlike `lsp_server::Connection::stdio`, a message that is not valid JSON-RPC does not end
//! the server: its bytes were read in full (by their `Content-Length`), so the reader skips it
//! and tells the loop with a [`MALFORMED`] notification, which the loop answers with a
//! JSON-RPC parse error.

use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message, Notification};

/// The notification the reader sends the loop for a message it could not parse.
pub const MALFORMED: &str = "$/dslint/malformed";

/// The protocol loop's end of the connection, and the thread writing to stdout.
pub struct Stdio {
    /// What the protocol loop reads from and writes to.
    pub connection: Connection,
    writer: JoinHandle<()>,
}

impl Stdio {
    /// Closes the connection and waits until everything sent was written out.
    pub fn finish(self) {
        drop(self.connection);
        let _ = self.writer.join();
    }
}

/// Starts the reader and writer threads on standard input and output.
pub fn stdio() -> Stdio {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_loop(&mut input, &mut |msg| sender.send(msg).is_ok());
    });
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        for msg in receiver {
            let mut out = stdout.lock();
            if msg.write(&mut out).and_then(|()| out.flush()).is_err() {
                break;
            }
        }
    });
    Stdio {
        connection: server,
        writer,
    }
}

/// Reads messages from `input` and hands them to `deliver` until end of input, an `exit`
/// notification, or `deliver` returning false. A message that is not JSON-RPC becomes a
/// [`MALFORMED`] notification (without the error text, which quotes the message: it may hold
/// a key).
pub fn read_loop(input: &mut impl BufRead, deliver: &mut dyn FnMut(Message) -> bool) {
    loop {
        let msg = match Message::read(input) {
            Ok(Some(msg)) => msg,
            Ok(None) => return,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                Message::Notification(Notification::new(MALFORMED.into(), ()))
            }
            Err(_) => return,
        };
        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
        if !deliver(msg) || exit {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_skipped_not_fatal() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"never-read"}"#),
        ]
        .concat();
        let mut got = Vec::new();
        read_loop(&mut input.as_bytes(), &mut |m| {
            got.push(match m {
                Message::Notification(n) => n.method,
                other => format!("{other:?}"),
            });
            true
        });
        assert_eq!(got, vec![MALFORMED, "initialized", "exit"]);
    }
}
