// SPDX-License-Identifier: Apache-2.0
//! User import jobs: CreateUserImportJob, the upload to the job's pre-signed URL,
//! StartUserImportJob, DescribeUserImportJob, ListUserImportJobs, StopUserImportJob, and the
//! imported users' password reset.

mod common;

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, AuthFlowType, ExplicitAuthFlowsType, SchemaAttributeType,
    UserImportJobStatusType, UserImportJobType, UserStatusType,
};
use common::{Harness, PASSWORD, Pool, http, outcome};

const ROLE: &str = "arn:aws:iam::000000000000:role/CognitoImport";

async fn import_pool(harness: &Harness) -> Pool {
    let plan = SchemaAttributeType::builder()
        .name("plan")
        .attribute_data_type(AttributeDataType::String)
        .build();
    harness
        .pool_without_mfa(|create| create.schema(plan), false)
        .await
}

/// A CSV of the pool's columns with one row per `(username, email, email_verified, plan)`.
async fn csv(harness: &Harness, pool: &Pool, rows: &[(&str, &str, &str, &str)]) -> String {
    let header = harness
        .client
        .get_csv_header()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .csv_header
        .unwrap();
    let mut text = header.join(",");
    for (username, email, verified, plan) in rows {
        let line: Vec<&str> = header
            .iter()
            .map(|column| match column.as_str() {
                "cognito:username" => *username,
                "email" => *email,
                "email_verified" => *verified,
                "custom:plan" => *plan,
                // A row with no username is left all empty: the import skips it.
                "cognito:mfa_enabled" if !username.is_empty() => "FALSE",
                _ => "",
            })
            .collect();
        text.push('\n');
        text.push_str(&line.join(","));
    }
    text.push('\n');
    text
}

async fn create_job(harness: &Harness, pool: &Pool, name: &str) -> UserImportJobType {
    harness
        .client
        .create_user_import_job()
        .user_pool_id(&pool.id)
        .job_name(name)
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .expect("CreateUserImportJob")
        .user_import_job
        .unwrap()
}

/// PUTs a file to a pre-signed URL (of the emulator at `harness`): the status.
async fn upload(harness: &Harness, url: &str, body: &str) -> u16 {
    let base = harness.emulator.url();
    let path = url.strip_prefix(base).expect("the URL is the emulator's");
    let length = body.len().to_string();
    http(base, "PUT", path, &[("content-length", &length)], body)
        .await
        .0
}

async fn describe(harness: &Harness, pool: &Pool, job_id: &str) -> UserImportJobType {
    harness
        .client
        .describe_user_import_job()
        .user_pool_id(&pool.id)
        .job_id(job_id)
        .send()
        .await
        .expect("DescribeUserImportJob")
        .user_import_job
        .unwrap()
}

async fn start(
    harness: &Harness,
    pool: &Pool,
    job_id: &str,
) -> Result<UserImportJobType, (String, String)> {
    let started = harness
        .client
        .start_user_import_job()
        .user_pool_id(&pool.id)
        .job_id(job_id)
        .send()
        .await;
    outcome(started).map(|answer| answer.user_import_job.unwrap())
}

/// Waits for the job to be done with its rows.
async fn finished(harness: &Harness, pool: &Pool, job_id: &str) -> UserImportJobType {
    for _ in 0..400 {
        let job = describe(harness, pool, job_id).await;
        if !matches!(
            job.status(),
            Some(UserImportJobStatusType::Pending | UserImportJobStatusType::InProgress)
        ) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import job did not finish");
}

#[tokio::test]
async fn imported_users_reset_their_password_and_failures_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = import_pool(&harness).await;
    harness.confirmed_user(&pool, "taken").await;
    let file = csv(
        &harness,
        &pool,
        &[
            ("ada", "ada@example.com", "TRUE", "pro"),
            ("bob", "bob@example.com", "true", ""),
            ("taken", "other@example.com", "TRUE", ""),
            ("cy", "cy@example.com", "FALSE", ""),
            ("", "", "", ""),
        ],
    )
    .await;
    let job = create_job(&harness, &pool, "first").await;
    assert_eq!(job.status(), Some(&UserImportJobStatusType::Created));
    assert_eq!(job.cloud_watch_logs_role_arn(), Some(ROLE));
    let url = job.pre_signed_url().unwrap().to_owned();
    let job_id = job.job_id().unwrap().to_owned();
    assert!(job_id.starts_with("import-"));
    let forged = url.replace("token=", "token=x");
    assert_eq!(upload(&harness, &forged, &file).await, 403);
    assert_eq!(upload(&harness, &url, &file).await, 200);

    let started = start(&harness, &pool, &job_id).await.unwrap();
    assert_eq!(started.status(), Some(&UserImportJobStatusType::Pending));
    assert!(started.start_date().is_some());
    let done = finished(&harness, &pool, &job_id).await;
    assert_eq!(done.status(), Some(&UserImportJobStatusType::Succeeded));
    assert_eq!(
        (
            done.imported_users(),
            done.failed_users(),
            done.skipped_users()
        ),
        (2, 2, 1)
    );
    let message = done.completion_message().unwrap();
    assert!(
        message.contains("line 4") && message.contains("already exists"),
        "{message}"
    );
    assert!(done.completion_date().is_some());
    let (code, _) = start(&harness, &pool, &job_id).await.unwrap_err();
    assert_eq!(code, "PreconditionNotMetException");
    assert_eq!(
        upload(&harness, &url, &file).await,
        403,
        "a started job takes no file"
    );

    // An imported user must reset its password before it signs in.
    let ada = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("ada")
        .send()
        .await
        .unwrap();
    assert_eq!(ada.user_status(), Some(&UserStatusType::ResetRequired));
    assert!(
        ada.user_attributes()
            .iter()
            .any(|a| a.name() == "custom:plan" && a.value() == Some("pro"))
    );
    let signed_in = harness.password_sign_in(&pool, "ada", PASSWORD).await;
    assert_eq!(
        outcome(signed_in).unwrap_err().0,
        "PasswordResetRequiredException"
    );
    // Whatever the password, and by SRP as well: the user has none yet.
    let signed_in = harness.password_sign_in(&pool, "ada", "any-Other-1").await;
    assert_eq!(
        outcome(signed_in).unwrap_err().0,
        "PasswordResetRequiredException"
    );
    let srp_client = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("srp")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let srp = cognito_srp::SrpClient::new().unwrap();
    let srp_start = harness
        .client
        .initiate_auth()
        .client_id(srp_client)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "ada")
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await;
    assert_eq!(
        outcome(srp_start).unwrap_err().0,
        "PasswordResetRequiredException"
    );
    harness
        .client
        .forgot_password()
        .client_id(&pool.client_id)
        .username("ada")
        .send()
        .await
        .expect("ForgotPassword");
    harness
        .client
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("ada")
        .password(PASSWORD)
        .confirmation_code(harness.latest_code("ada"))
        .send()
        .await
        .expect("ConfirmForgotPassword");
    harness.access_token(&pool, "ada", PASSWORD).await;

    // The job and its users are kept.
    let harness = harness.restart().await;
    let kept = describe(&harness, &pool, &job_id).await;
    assert_eq!(kept.status(), Some(&UserImportJobStatusType::Succeeded));
    assert_eq!(kept.imported_users(), 2);
    let bob = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(bob.user_status(), Some(&UserStatusType::ResetRequired));
}

#[tokio::test]
async fn jobs_are_listed_newest_first_a_page_at_a_time() {
    let harness = Harness::start().await;
    let pool = import_pool(&harness).await;
    let mut created = Vec::new();
    for name in ["one", "two", "three"] {
        created.push(create_job(&harness, &pool, name).await.job_id.unwrap());
        harness.clock.advance(Duration::from_secs(1));
    }
    let mut listed = Vec::new();
    let mut token = None;
    loop {
        let page = harness
            .client
            .list_user_import_jobs()
            .user_pool_id(&pool.id)
            .max_results(2)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.user_import_jobs().len() <= 2);
        listed.extend(
            page.user_import_jobs()
                .iter()
                .filter_map(|j| j.job_name().map(str::to_owned)),
        );
        token = page.pagination_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(listed, ["three", "two", "one"]);
    let bad = harness
        .client
        .list_user_import_jobs()
        .user_pool_id(&pool.id)
        .max_results(2)
        .pagination_token("import-nothere")
        .send()
        .await;
    assert_eq!(outcome(bad).unwrap_err().0, "InvalidParameterException");
    let missing = harness
        .client
        .describe_user_import_job()
        .user_pool_id(&pool.id)
        .job_id("import-nothere")
        .send()
        .await;
    assert_eq!(outcome(missing).unwrap_err().0, "ResourceNotFoundException");
    let stop_created = harness
        .client
        .stop_user_import_job()
        .user_pool_id(&pool.id)
        .job_id(&created[0])
        .send()
        .await;
    assert_eq!(
        outcome(stop_created).unwrap_err().0,
        "PreconditionNotMetException"
    );
}

#[tokio::test]
async fn a_job_without_a_file_fails_and_a_bad_header_fails_the_job() {
    let harness = Harness::start().await;
    let pool = import_pool(&harness).await;
    let empty = create_job(&harness, &pool, "nothing").await.job_id.unwrap();
    start(&harness, &pool, &empty).await.unwrap();
    let failed = finished(&harness, &pool, &empty).await;
    assert_eq!(failed.status(), Some(&UserImportJobStatusType::Failed));
    assert!(failed.completion_message().unwrap().contains("No CSV file"));

    let job = create_job(&harness, &pool, "bad-header").await;
    let url = job.pre_signed_url().unwrap();
    assert_eq!(
        upload(&harness, url, "cognito:username,email\nx,x@example.com\n").await,
        200
    );
    let id = job.job_id.unwrap();
    start(&harness, &pool, &id).await.unwrap();
    let failed = finished(&harness, &pool, &id).await;
    assert_eq!(failed.status(), Some(&UserImportJobStatusType::Failed));
    assert!(
        failed
            .completion_message()
            .unwrap()
            .contains("lacks the column"),
        "{:?}",
        failed.completion_message()
    );
}

#[tokio::test]
async fn a_pool_runs_one_job_at_a_time_and_a_stopped_job_imports_no_more() {
    let harness = Harness::start().await;
    let pool = import_pool(&harness).await;
    let emails: Vec<(String, String)> = (0..40_000)
        .map(|n| (format!("user{n}"), format!("user{n}@example.com")))
        .collect();
    let rows: Vec<(&str, &str, &str, &str)> = emails
        .iter()
        .map(|(u, e)| (u.as_str(), e.as_str(), "true", ""))
        .collect();
    let file = csv(&harness, &pool, &rows).await;
    let big = create_job(&harness, &pool, "big").await;
    assert_eq!(
        upload(&harness, big.pre_signed_url().unwrap(), &file).await,
        200
    );
    let other = create_job(&harness, &pool, "other").await.job_id.unwrap();
    let big = big.job_id.unwrap();
    start(&harness, &pool, &big).await.unwrap();
    let (code, _) = start(&harness, &pool, &other).await.unwrap_err();
    assert_eq!(code, "PreconditionNotMetException");
    let added = harness
        .client
        .add_custom_attributes()
        .user_pool_id(&pool.id)
        .custom_attributes(
            SchemaAttributeType::builder()
                .name("late")
                .attribute_data_type(AttributeDataType::String)
                .build(),
        )
        .send()
        .await;
    assert_eq!(
        outcome(added).unwrap_err().0,
        "UserImportInProgressException"
    );
    let updated = harness
        .client
        .update_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await;
    assert_eq!(
        outcome(updated).unwrap_err().0,
        "UserImportInProgressException"
    );
    let deleted = harness
        .client
        .delete_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await;
    assert_eq!(
        outcome(deleted).unwrap_err().0,
        "UserImportInProgressException"
    );
    let stopped = harness
        .client
        .stop_user_import_job()
        .user_pool_id(&pool.id)
        .job_id(&big)
        .send()
        .await
        .unwrap();
    let stopped = stopped.user_import_job.unwrap();
    assert_eq!(stopped.status(), Some(&UserImportJobStatusType::Stopped));
    assert_eq!(
        stopped.completion_message(),
        Some("The Import Job was stopped by the developer.")
    );
    // Whatever batch was under way when the job stopped is the last.
    let at_stop = stopped.imported_users();
    assert!(at_stop < 40_000, "stopped before the end");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = describe(&harness, &pool, &big).await;
    assert_eq!(later.status(), Some(&UserImportJobStatusType::Stopped));
    assert_eq!(later.imported_users(), at_stop);
    let count = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    let users = count.user_pool.unwrap().estimated_number_of_users;
    assert_eq!(i64::from(users), at_stop, "no user added after the stop");
    // The pool is free for the next job.
    start(&harness, &pool, &other).await.unwrap();
}

#[tokio::test]
async fn an_import_under_way_when_the_emulator_stops_has_failed_when_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = import_pool(&harness).await;
    let emails: Vec<(String, String)> = (0..40_000)
        .map(|n| (format!("user{n}"), format!("user{n}@example.com")))
        .collect();
    let rows: Vec<(&str, &str, &str, &str)> = emails
        .iter()
        .map(|(u, e)| (u.as_str(), e.as_str(), "true", ""))
        .collect();
    let file = csv(&harness, &pool, &rows).await;
    let job = create_job(&harness, &pool, "interrupted").await;
    assert_eq!(
        upload(&harness, job.pre_signed_url().unwrap(), &file).await,
        200
    );
    let id = job.job_id.unwrap();
    start(&harness, &pool, &id).await.unwrap();
    let harness = harness.restart().await;
    let failed = describe(&harness, &pool, &id).await;
    assert_eq!(failed.status(), Some(&UserImportJobStatusType::Failed));
    assert!(failed.completion_date().is_some());
    assert!(
        failed.completion_message().unwrap().contains("interrupted"),
        "{:?}",
        failed.completion_message()
    );
    // The pool is free for another job.
    let next = create_job(&harness, &pool, "next").await.job_id.unwrap();
    start(&harness, &pool, &next).await.unwrap();
}

#[tokio::test]
async fn the_upload_url_lasts_fifteen_minutes_and_an_unstarted_job_a_day() {
    let harness = Harness::start().await;
    let pool = import_pool(&harness).await;
    let job = create_job(&harness, &pool, "late").await;
    let url = job.pre_signed_url().unwrap().to_owned();
    let id = job.job_id.unwrap();
    let file = csv(&harness, &pool, &[("ada", "ada@example.com", "true", "")]).await;
    harness.clock.advance(Duration::from_secs(16 * 60));
    assert_eq!(upload(&harness, &url, &file).await, 403);
    let unknown = url.replace(&id, "import-nothere");
    assert_eq!(upload(&harness, &unknown, &file).await, 404);
    harness.clock.advance(Duration::from_secs(24 * 3600));
    let expired = describe(&harness, &pool, &id).await;
    assert_eq!(expired.status(), Some(&UserImportJobStatusType::Expired));
    let (code, _) = start(&harness, &pool, &id).await.unwrap_err();
    assert_eq!(code, "PreconditionNotMetException");
}
