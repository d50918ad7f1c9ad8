/** The people who use the web app: roles, languages, password hashes, and adding a user. */
package org.sangfroid.gateway.user;
