// SPDX-License-Identifier: Apache-2.0
//! Slow clients over raw TCP: a connection that never finishes its headers or its body is
//! closed (or answered 408) soon after the configured timeouts, many of them at once do not
//! keep others from being served, a normal keep-alive client is not disturbed, and stopping the
//! emulator does not wait on them forever. The timeouts are shortened so that each test takes
//! about a second.

mod common;

use std::time::{Duration, Instant};

use cognito_emulator::{Emulator, EmulatorConfig, Timeouts};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEADER_TIMEOUT: Duration = Duration::from_millis(300);
const BODY_TIMEOUT: Duration = Duration::from_millis(300);
/// Room for a busy machine (two cores shared with builds) to fire the server's timers late.
const SLACK: Duration = Duration::from_secs(2);
const LIST_USER_POOLS: &str = "AWSCognitoIdentityProviderService.ListUserPools";

async fn start() -> Emulator {
    Emulator::start(EmulatorConfig {
        timeouts: Timeouts {
            headers: HEADER_TIMEOUT,
            body: BODY_TIMEOUT,
        },
        ..EmulatorConfig::default()
    })
    .await
    .expect("the emulator starts on a loopback port")
}

async fn connect(emulator: &Emulator) -> TcpStream {
    let address = emulator.url().trim_start_matches("http://");
    TcpStream::connect(address).await.expect("connect")
}

/// What a connection received until the server closed it, and when; `None` if it is still
/// open after `within`.
async fn until_closed(stream: &mut TcpStream, within: Duration) -> Option<(Duration, String)> {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut chunk = [0_u8; 4096];
    let reading = async {
        loop {
            match stream.read(&mut chunk).await {
                // A reset counts as closed too: the server may close with unread bytes pending.
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&chunk[..n]),
            }
        }
    };
    tokio::time::timeout(within, reading).await.ok()?;
    Some((
        started.elapsed(),
        String::from_utf8_lossy(&received).into_owned(),
    ))
}

fn post_head(content_length: u64) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: {LIST_USER_POOLS}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {content_length}\r\n\r\n"
    )
}

/// One answer on a keep-alive connection: its status line and headers, and its body.
async fn read_answer(stream: &mut TcpStream) -> (String, String) {
    let mut received = Vec::new();
    let mut byte = [0_u8; 1];
    while !received.ends_with(b"\r\n\r\n") {
        let n = stream
            .read(&mut byte)
            .await
            .expect("read the answer's head");
        assert_eq!(
            n,
            1,
            "closed mid-answer: {}",
            String::from_utf8_lossy(&received)
        );
        received.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&received).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .expect("the answer has a Content-Length");
    let mut body = vec![0_u8; length];
    stream.read_exact(&mut body).await.expect("read the body");
    (head, String::from_utf8_lossy(&body).into_owned())
}

fn assert_closed_after(closed: Option<(Duration, String)>, timeout: Duration) -> String {
    let (elapsed, received) = closed.expect("the server closed the connection within the bound");
    assert!(
        elapsed >= timeout.mul_f64(0.8),
        "closed after {elapsed:?}, before the {timeout:?} timeout: {received}"
    );
    received
}

#[tokio::test]
async fn unfinished_headers_are_closed_after_the_header_timeout() {
    let emulator = start().await;
    let mut silent = connect(&emulator).await;
    let mut half_line = connect(&emulator).await;
    half_line.write_all(b"POST / HTT").await.unwrap();
    let mut half_headers = connect(&emulator).await;
    half_headers
        .write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Tar")
        .await
        .unwrap();

    let bound = HEADER_TIMEOUT + SLACK;
    let closed = tokio::join!(
        until_closed(&mut silent, bound),
        until_closed(&mut half_line, bound),
        until_closed(&mut half_headers, bound),
    );
    for closed in [closed.0, closed.1, closed.2] {
        let received = assert_closed_after(closed, HEADER_TIMEOUT);
        assert!(received.is_empty(), "{received}");
    }
}

#[tokio::test]
async fn headers_sent_byte_by_byte_do_not_reset_the_header_timeout() {
    let emulator = start().await;
    let mut stream = connect(&emulator).await;
    let started = Instant::now();
    // Endless headers, one byte every 20 ms: without a deadline on the whole head, this would
    // keep the connection for over a minute.
    let trickle = format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Padding: {}",
        "a".repeat(4000)
    );
    let mut closed = false;
    for byte in trickle.as_bytes() {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        let mut reply = [0_u8; 64];
        let read = tokio::time::timeout(Duration::from_millis(20), stream.read(&mut reply)).await;
        if let Ok(Ok(0) | Err(_)) = read {
            closed = true;
            break;
        }
        if started.elapsed() > HEADER_TIMEOUT + SLACK {
            break;
        }
    }
    let elapsed = started.elapsed();
    assert!(closed, "still open after {elapsed:?}");
    assert!(elapsed >= HEADER_TIMEOUT.mul_f64(0.8), "{elapsed:?}");
    assert!(elapsed <= HEADER_TIMEOUT + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn a_declared_ten_gigabyte_body_is_refused_without_waiting_for_it() {
    let emulator = start().await;
    let mut stream = connect(&emulator).await;
    stream
        .write_all(format!("{}{{\"MaxRes", post_head(10_000_000_000)).as_bytes())
        .await
        .unwrap();
    let (elapsed, answer) = until_closed(&mut stream, BODY_TIMEOUT + SLACK)
        .await
        .expect("answered and closed within the bound");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(
        answer.contains(r#""__type":"SerializationException""#),
        "{answer}"
    );
    assert!(elapsed < BODY_TIMEOUT + SLACK, "{elapsed:?}");
}

#[tokio::test]
async fn a_stalled_body_is_answered_408_in_the_service_error_shape_and_closed() {
    let emulator = start().await;
    let mut stream = connect(&emulator).await;
    stream
        .write_all(format!("{}{{\"MaxRes", post_head(1000)).as_bytes())
        .await
        .unwrap();
    let answer = assert_closed_after(
        until_closed(&mut stream, BODY_TIMEOUT + SLACK).await,
        BODY_TIMEOUT,
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let lower = answer.to_lowercase();
    assert!(lower.contains("connection: close"), "{answer}");
    assert!(
        lower.contains("x-amzn-errortype: requesttimeoutexception:"),
        "{answer}"
    );
    assert!(
        answer.contains(r#""__type":"RequestTimeoutException""#),
        "{answer}"
    );
}

#[tokio::test]
async fn a_body_trickled_byte_by_byte_is_cut_off_at_the_body_timeout() {
    let emulator = start().await;
    let mut stream = connect(&emulator).await;
    stream.write_all(post_head(4000).as_bytes()).await.unwrap();
    let started = Instant::now();
    // Each byte comes well within the timeout: the deadline is on the whole body, not on the
    // pause between two reads.
    let mut answer = Vec::new();
    while started.elapsed() < BODY_TIMEOUT + SLACK {
        if stream.write_all(b" ").await.is_err() {
            break;
        }
        let mut chunk = [0_u8; 4096];
        match tokio::time::timeout(Duration::from_millis(20), stream.read(&mut chunk)).await {
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
    }
    let elapsed = started.elapsed();
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        elapsed < BODY_TIMEOUT + SLACK,
        "still open after {elapsed:?}"
    );
    assert!(
        elapsed >= BODY_TIMEOUT.mul_f64(0.8),
        "{elapsed:?}: {answer}"
    );
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn forty_slow_connections_neither_hold_up_others_nor_outlive_the_timeouts() {
    let emulator = start().await;
    let mut slow = Vec::new();
    for index in 0..40 {
        let mut stream = connect(&emulator).await;
        let start_of_request = if index % 2 == 0 {
            "POST / HTTP/1.1\r\nHost: loc".to_owned()
        } else {
            format!("{}{{\"Max", post_head(10_000))
        };
        stream.write_all(start_of_request.as_bytes()).await.unwrap();
        slow.push(stream);
    }

    let started = Instant::now();
    let (status, body) = common::http(
        emulator.url(),
        "POST",
        "/",
        &[
            ("X-Amz-Target", LIST_USER_POOLS),
            ("Content-Type", "application/x-amz-json-1.1"),
        ],
        r#"{"MaxResults": 10}"#,
    )
    .await;
    assert_eq!((status, body.as_str()), (200, r#"{"UserPools":[]}"#));
    assert!(
        started.elapsed() < HEADER_TIMEOUT,
        "{:?}",
        started.elapsed()
    );

    // One deadline for all forty: they were opened together, so they must close together.
    let deadline = Instant::now() + HEADER_TIMEOUT.max(BODY_TIMEOUT) + SLACK;
    let mut still_open = 0;
    for stream in &mut slow {
        let left = deadline.saturating_duration_since(Instant::now());
        if until_closed(stream, left).await.is_none() {
            still_open += 1;
        }
    }
    assert_eq!(
        still_open, 0,
        "{still_open} of 40 slow connections still open"
    );
}

#[tokio::test]
async fn a_keep_alive_client_with_short_pauses_is_not_disturbed() {
    let emulator = start().await;
    let mut stream = connect(&emulator).await;
    let body = r#"{"MaxResults": 10}"#;
    let started = Instant::now();
    // Eight requests on one connection, over longer than either timeout: each pause is shorter
    // than the header timeout, and the body arrives in pieces but within the body timeout.
    for round in 0..8 {
        tokio::time::sleep(Duration::from_millis(if round % 2 == 0 { 50 } else { 150 })).await;
        stream
            .write_all(post_head(body.len() as u64).as_bytes())
            .await
            .unwrap();
        let (first, rest) = body.split_at(7);
        stream.write_all(first.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        stream.write_all(rest.as_bytes()).await.unwrap();
        let (head, answer) = tokio::time::timeout(SLACK, read_answer(&mut stream))
            .await
            .unwrap_or_else(|_| panic!("no answer to request {round}"));
        assert!(head.starts_with("http/1.1 200"), "{round}: {head}");
        assert!(!head.contains("connection: close"), "{round}: {head}");
        assert_eq!(answer, r#"{"UserPools":[]}"#);
    }
    assert!(started.elapsed() > HEADER_TIMEOUT + BODY_TIMEOUT);
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let emulator = start().await;
    let mut stream = connect(&emulator).await;
    let body = r#"{"MaxResults": 10}"#;
    stream
        .write_all(format!("{}{body}", post_head(body.len() as u64)).as_bytes())
        .await
        .unwrap();
    let (head, _) = tokio::time::timeout(SLACK, read_answer(&mut stream))
        .await
        .expect("an answer");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let received = assert_closed_after(
        until_closed(&mut stream, HEADER_TIMEOUT + SLACK).await,
        HEADER_TIMEOUT,
    );
    assert!(received.is_empty(), "{received}");
}

#[tokio::test]
async fn stop_does_not_wait_forever_on_slow_clients() {
    let emulator = start().await;
    let mut half_headers = connect(&emulator).await;
    half_headers
        .write_all(b"POST / HTTP/1.1\r\nHo")
        .await
        .unwrap();
    let mut stalled_body = connect(&emulator).await;
    stalled_body
        .write_all(format!("{}{{", post_head(100)).as_bytes())
        .await
        .unwrap();
    // Lets the server read both before it is told to stop.
    tokio::time::sleep(Duration::from_millis(50)).await;

    let bound = HEADER_TIMEOUT.max(BODY_TIMEOUT) + SLACK;
    tokio::time::timeout(bound, emulator.stop())
        .await
        .expect("stop returns within the bound")
        .expect("the emulator stops cleanly");
    let answer = until_closed(&mut stalled_body, SLACK).await.map(|(_, a)| a);
    assert!(
        answer
            .as_deref()
            .is_some_and(|a| a.starts_with("HTTP/1.1 408")),
        "{answer:?}"
    );
    assert!(until_closed(&mut half_headers, SLACK).await.is_some());
}
