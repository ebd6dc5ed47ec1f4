// SPDX-License-Identifier: Apache-2.0
//! Groups and what they put in tokens; the user's own settings (AdminSetUserSettings, SetUserSettings, AdminDeleteSoftwareToken).

use super::{Operation, decode, op, reply};

/// The legacy SMS MFA options: the emulator sends no SMS.
const NO_SMS: &str = "no SMS MFA: the options are checked, kept and shown by AdminGetUser and \
                      GetUser, and no SMS code is asked at sign-in";

pub(super) const OPERATIONS: &[Operation] = &[
    op("CreateGroup", false, |s, b, _| {
        reply(s.create_group(decode(b)?))
    }),
    op("GetGroup", false, |s, b, _| reply(s.get_group(decode(b)?))),
    op("UpdateGroup", false, |s, b, _| {
        reply(s.update_group(decode(b)?))
    }),
    op("DeleteGroup", false, |s, b, _| {
        reply(s.delete_group(decode(b)?))
    }),
    op("ListGroups", false, |s, b, _| {
        reply(s.list_groups(decode(b)?))
    }),
    op("AdminAddUserToGroup", false, |s, b, _| {
        reply(s.admin_add_user_to_group(decode(b)?))
    }),
    op("AdminRemoveUserFromGroup", false, |s, b, _| {
        reply(s.admin_remove_user_from_group(decode(b)?))
    }),
    op("AdminListGroupsForUser", false, |s, b, _| {
        reply(s.admin_list_groups_for_user(decode(b)?))
    }),
    op("ListUsersInGroup", false, |s, b, _| {
        reply(s.list_users_in_group(decode(b)?))
    }),
    op("AdminDeleteSoftwareToken", false, |s, b, _| {
        reply(s.admin_delete_software_token(decode(b)?))
    }),
    op("AdminSetUserSettings", false, |s, b, _| {
        reply(s.admin_set_user_settings(decode(b)?))
    })
    .limited(NO_SMS),
    op("SetUserSettings", false, |s, b, _| {
        reply(s.set_user_settings(decode(b)?))
    })
    .limited(NO_SMS),
];
