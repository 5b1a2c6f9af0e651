package io.github.accounts.core.profile;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.user.UserInfo;

/** What a signed-in user does to their own account ({@code accounts.profile()}). Thread-safe. */
public interface Profile {
    /** The user as stored now. */
    UserInfo me(Authenticated current);

    /** Changes first and/or last name (null leaves one as it is); {@code updated_at} moves forward. */
    UserInfo update(Authenticated current, String fname, String lname);

    /** Changes the password after checking the current one; revokes every other session of the user. */
    void changePassword(Authenticated current, String currentPassword, String newPassword);

    /** Deletes the user with all their sessions and tokens after checking the password; the email is free again. */
    void deleteAccount(Authenticated current, String password);
}
