//! What the server adds on a connection's socket, under hyper.
//!
//! - A write timeout: hyper has a time limit for reading a request head but
//!   none for writing a response. A client that sends a request and never reads
//!   the answer would keep the response (and the connection's buffers) in the
//!   server's memory for as long as it stays connected; a few hundred such
//!   clients hold gigabytes. [`WriteTimeout`]: once a write (or flush) has made
//!   no progress for the limit, it fails with `TimedOut`, hyper closes the
//!   connection and the response is freed.
//! - Problem bodies for the HTTP layer's own errors: when hyper cannot parse a
//!   request it answers 400, 414 or 431 itself, with an empty body, before any
//!   handler runs. [`ParseErrors`] recognises that answer on its way out (a
//!   bare head with `content-length: 0`, which no handler of this server
//!   writes for these statuses) and sends a problem-details body in its place,
//!   so that every error of the service is `application/problem+json`.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// A stream whose writes fail once they have been stalled for `limit`.
#[derive(Debug)]
pub struct WriteTimeout<S> {
    inner: S,
    limit: Duration,
    /// Armed when a write is first refused (the client's window is full),
    /// disarmed by any progress.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> WriteTimeout<S> {
    /// Wraps `inner`; a write stalled for `limit` fails.
    pub fn new(inner: S, limit: Duration) -> Self {
        WriteTimeout {
            inner,
            limit,
            stalled: None,
        }
    }

    /// The wrapped stream.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// What a stalled write answers: `Pending` until the limit, then an error.
    fn stall<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        ready!(timer.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("the client took no part of the response for {limit:?}"),
        )))
    }

    fn progress<T>(&mut self, result: io::Result<T>) -> Poll<io::Result<T>> {
        self.stalled = None;
        Poll::Ready(result)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteTimeout<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(result) => self.progress(result),
            Poll::Pending => self.stall(cx),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(result) => self.progress(result),
            Poll::Pending => self.stall(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(result) => self.progress(result),
            Poll::Pending => self.stall(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_shutdown(cx) {
            Poll::Ready(result) => self.progress(result),
            Poll::Pending => self.stall(cx),
        }
    }
}

/// A stream that gives hyper's automatic parse-error answers a problem body.
#[derive(Debug)]
pub struct ParseErrors<S> {
    inner: S,
    /// The replacement being written, how much of it is written, and how many
    /// bytes of hyper's answer it stands for.
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl<S> ParseErrors<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        ParseErrors {
            inner,
            replacing: None,
        }
    }
}

/// The answer to send in place of `head`, if `head` is hyper's automatic
/// answer to a request it could not parse.
pub fn problem_answer(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let rest = text.strip_prefix("HTTP/1.1 ")?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    if !matches!(status, 400 | 414 | 431) || !text.ends_with("\r\n\r\n") {
        return None;
    }
    let mut lines = text.trim_end().split("\r\n");
    let status_line = lines.next()?;
    let headers: Vec<&str> = lines.collect();
    let is = |line: &&str, name: &str| {
        line.split(':')
            .next()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
    };
    let empty = headers
        .iter()
        .any(|h| is(h, "content-length") && h.split(':').nth(1).map(str::trim) == Some("0"));
    if !empty || headers.iter().any(|h| is(h, "content-type")) {
        return None;
    }
    let code = axum::http::StatusCode::from_u16(status).ok()?;
    let body = serde_json::to_vec(&super::problem::ApiError::BadHttp(code).problem())
        .expect("a problem serializes");
    let mut out = format!(
        "{status_line}\r\ncontent-type: {}\r\nx-content-type-options: nosniff\r\ncontent-length: {}\r\n",
        super::problem::PROBLEM_JSON,
        body.len()
    );
    for header in headers.iter().filter(|h| !is(h, "content-length")) {
        out.push_str(header);
        out.push_str("\r\n");
    }
    if !headers.iter().any(|h| is(h, "connection")) {
        out.push_str("connection: close\r\n");
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

impl<S: AsyncWrite + Unpin> ParseErrors<S> {
    /// Writes the rest of the replacement; once it is all out, reports hyper's
    /// answer as written.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        while let Some((bytes, written, stands_for)) = &mut self.replacing {
            if *written == bytes.len() {
                let n = *stands_for;
                self.replacing = None;
                return Poll::Ready(Ok(n));
            }
            match ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..])) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(n) => *written += n,
                Err(error) => {
                    self.replacing = None;
                    return Poll::Ready(Err(error));
                }
            }
        }
        Poll::Ready(Ok(0))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ParseErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ParseErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.replacing.is_none() {
            match problem_answer(buf) {
                Some(answer) => self.replacing = Some((answer, 0, buf.len())),
                None => return Pin::new(&mut self.inner).poll_write(cx, buf),
            }
        }
        self.drain(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // hyper's automatic answer is a head alone, in one piece.
        let first = bufs.iter().find(|b| !b.is_empty());
        let lone_head = bufs.iter().filter(|b| !b.is_empty()).count() == 1;
        if self.replacing.is_some()
            || (lone_head && first.is_some_and(|b| problem_answer(b).is_some()))
        {
            let first = first.map_or(&[][..], |b| &b[..]);
            return self.poll_write(cx, first);
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.replacing.is_some() {
            ready!(self.drain(cx))?;
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_write_nobody_reads_fails_at_the_limit() {
        let (near, mut far) = tokio::io::duplex(1024);
        let mut stream = WriteTimeout::new(near, Duration::from_millis(50));
        let started = tokio::time::Instant::now();
        let error = stream.write_all(&[b'x'; 64 * 1024]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= Duration::from_millis(50));
        // Bytes that were taken stay taken.
        let mut got = vec![0; 1024];
        far.read_exact(&mut got).await.unwrap();
    }

    #[test]
    fn only_a_bare_parse_error_head_gets_a_problem_body() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n";
        let answer = String::from_utf8(problem_answer(bare).unwrap()).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 "), "{head}");
        assert!(head.contains("content-type: application/problem+json"));
        assert!(head.contains("date: Thu"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["type"], "/problems/headers-too-large");
        assert_eq!(problem["status"], 431);
        // A handler's own answers, and other statuses, pass untouched.
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: 0\r\n\r\n";
        assert!(problem_answer(ours).is_none());
        assert!(problem_answer(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(
            problem_answer(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 10\r\n\r\n").is_none()
        );
    }

    #[tokio::test]
    async fn the_problem_body_is_written_whole_in_place_of_the_bare_head() {
        let (near, mut far) = tokio::io::duplex(16);
        let mut stream = ParseErrors::new(near);
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        let writer = tokio::spawn(async move {
            stream.write_all(bare).await.unwrap();
            stream.flush().await.unwrap();
        });
        let mut got = Vec::new();
        let mut buffer = [0u8; 64];
        while !got.windows(1).any(|w| w == b"}") {
            let n = far.read(&mut buffer).await.unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buffer[..n]);
        }
        writer.await.unwrap();
        let text = String::from_utf8(got).unwrap();
        assert!(text.contains("/problems/malformed-http"), "{text}");
    }

    #[tokio::test]
    async fn a_slow_but_steady_reader_is_served_in_full() {
        let (near, mut far) = tokio::io::duplex(1024);
        let mut stream = WriteTimeout::new(near, Duration::from_millis(200));
        let reader = tokio::spawn(async move {
            let mut total = 0;
            let mut buffer = [0u8; 512];
            while total < 64 * 1024 {
                tokio::time::sleep(Duration::from_millis(5)).await;
                total += far.read(&mut buffer).await.unwrap();
            }
            total
        });
        // About 640 ms in all, longer than the limit; no single stall is.
        stream.write_all(&[b'x'; 64 * 1024]).await.unwrap();
        assert_eq!(reader.await.unwrap(), 64 * 1024);
    }
}
