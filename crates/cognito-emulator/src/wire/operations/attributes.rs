// SPDX-License-Identifier: Apache-2.0
//! Custom attributes (AddCustomAttributes, GetCSVHeader) and user import jobs.

use super::{Operation, decode, op, reply};

const NO_LOGS: &str = "no CloudWatch Logs: why rows failed is in the job's CompletionMessage \
     (the first) and the emulator's log; PasswordHashingAlgorithm is kept, no hashes are imported";
const UPLOAD_IN_MEMORY: &str =
    "the uploaded CSV is held in memory until the job starts: a restart in between loses it";

pub(super) const OPERATIONS: &[Operation] = &[
    op("AddCustomAttributes", false, |s, b, _| {
        reply(s.add_custom_attributes(decode(b)?))
    }),
    op("GetCSVHeader", false, |s, b, _| {
        reply(s.get_csv_header(decode(b)?))
    }),
    op("CreateUserImportJob", false, |s, b, _| {
        reply(s.create_user_import_job(decode(b)?))
    })
    .limited(NO_LOGS),
    op("DescribeUserImportJob", false, |s, b, _| {
        reply(s.describe_user_import_job(decode(b)?))
    }),
    op("ListUserImportJobs", false, |s, b, _| {
        reply(s.list_user_import_jobs(decode(b)?))
    }),
    op("StartUserImportJob", false, |s, b, _| {
        reply(s.start_user_import_job(decode(b)?))
    })
    .limited(UPLOAD_IN_MEMORY),
    op("StopUserImportJob", false, |s, b, _| {
        reply(s.stop_user_import_job(decode(b)?))
    }),
];
