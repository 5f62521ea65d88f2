//! Validation of a world file ([`crate::world`]): every cross-reference
//! and value is checked before a server starts, and each error names the
//! offending entry and what to change.

use std::collections::HashSet;

use super::*;

impl World {
    /// Checks every cross-reference and value; the error names the offending entry.
    pub fn validate(&self) -> Result<(), WorldError> {
        let bad = |m: String| Err(WorldError::Invalid(m));
        if self.server.file_reference_secs == 0 || self.server.difference_limit == 0 {
            return bad(
                "[server] file_reference_secs and difference_limit must be at least 1".into(),
            );
        }
        if self.server.difference_too_long < self.server.difference_limit {
            return bad("[server] difference_too_long must not be below difference_limit".into());
        }
        if let Some(secret) = &self.server.mtproxy_secret {
            if let Err(e) = hearth_transport::MtProxySecret::parse(secret) {
                return bad(format!(
                    "[server] mtproxy_secret is not a proxy secret: {e}"
                ));
            }
        }
        crate::world_apps::validate(&self.apps).map_err(WorldError::Invalid)?;
        for f in &self.faults {
            if let Err(e) = f.validate() {
                return bad(format!("[[fault]]: {e} (methods are named as in the TL schema, e.g. \"messages.sendMessage\")"));
            }
            if let crate::faults::FaultRule::Migrate(m) = f {
                if let Some(a) = &m.account {
                    let known =
                        self.user_id(a).is_some() || self.accounts.iter().any(|x| &x.phone == a);
                    if !known {
                        return bad(format!("[[fault]] migrate: account {a:?} is not an account or bot name or phone"));
                    }
                }
            }
        }
        let mut names = HashSet::new();
        let mut phones = HashSet::new();
        let mut usernames = HashSet::new();
        for (key, port) in self.server.ports.iter().chain(&self.server.media_ports) {
            match key.parse::<i32>() {
                Ok(1..=5) => {}
                _ => {
                    return bad(format!(
                        "[server] ports key {key:?} must be a DC id 1..5 (port {port})"
                    ))
                }
            }
        }
        for a in &self.accounts {
            if !names.insert(a.name.as_str()) {
                return bad(format!("name {:?} is used twice", a.name));
            }
            if a.phone.is_empty() || !a.phone.bytes().all(|b| b.is_ascii_digit()) {
                return bad(format!(
                    "account {:?}: phone {:?} must be digits only, no '+'",
                    a.name, a.phone
                ));
            }
            if !phones.insert(a.phone.as_str()) {
                return bad(format!(
                    "account {:?}: phone {} is used twice",
                    a.name, a.phone
                ));
            }
            if let Some(dc) = a.dc {
                if !(1..=5).contains(&dc) {
                    return bad(format!("account {:?}: dc {dc} must be 1..5", a.name));
                }
                if let Some(t) = test_phone_dc(&a.phone).filter(|t| *t != dc) {
                    return bad(format!(
                        "account {:?}: test number {} belongs to DC {t}, not dc {dc}",
                        a.name, a.phone
                    ));
                }
            } else if test_phone_dc(&a.phone).is_none() {
                return bad(format!(
                    "account {:?}: phone {} is not a 99966XYYYY test number, so it needs `dc = N`",
                    a.name, a.phone
                ));
            }
            if a.first_name.is_empty() {
                return bad(format!(
                    "account {:?}: first_name must not be empty",
                    a.name
                ));
            }
            if a.password.as_deref() == Some("") {
                return bad(format!(
                    "account {:?}: password must not be empty (omit it for no 2FA)",
                    a.name
                ));
            }
            if let Some(u) = &a.username {
                if !usernames.insert(u.to_lowercase()) {
                    return bad(format!("username {u:?} is used twice"));
                }
            }
        }
        for b in &self.bots {
            if !names.insert(b.name.as_str()) {
                return bad(format!("name {:?} is used twice", b.name));
            }
            match b.token.split_once(':') {
                Some((id, secret))
                    if id.parse::<i64>().is_ok_and(|v| v > 0) && !secret.is_empty() => {}
                _ => {
                    return bad(format!(
                        "bot {:?}: token must look like \"<user id>:<secret>\"",
                        b.name
                    ))
                }
            }
            if !b.username.to_lowercase().ends_with("bot") {
                return bad(format!(
                    "bot {:?}: username {:?} must end in \"bot\"",
                    b.name, b.username
                ));
            }
            if !usernames.insert(b.username.to_lowercase()) {
                return bad(format!("username {:?} is used twice", b.username));
            }
            if !(1..=5).contains(&b.dc) {
                return bad(format!("bot {:?}: dc {} must be 1..5", b.name, b.dc));
            }
        }
        let known = |who: &str, what: &str| -> Result<(), WorldError> {
            if names.contains(who) {
                Ok(())
            } else {
                Err(WorldError::Invalid(format!(
                    "{what}: {who:?} is not an account or bot name"
                )))
            }
        };
        let check_messages = |msgs: &[Message], members: &[String], what: &str| {
            for m in msgs {
                crate::world_media::validate(m.photo.as_ref(), m.document.as_ref(), what)
                    .map_err(WorldError::Invalid)?;
                if !members.contains(&m.from) {
                    return Err(WorldError::Invalid(format!(
                        "{what}: message from {:?}, who is not a member",
                        m.from
                    )));
                }
            }
            Ok(())
        };
        for a in &self.accounts {
            let what = format!("account {:?} contacts", a.name);
            for c in &a.contacts {
                known(c, &what)?;
                if *c == a.name {
                    return bad(format!("{what}: an account cannot list itself"));
                }
            }
        }
        for c in &self.private_chats {
            let what = format!("private_chat {:?}", c.members);
            for m in &c.members {
                known(m, &what)?;
            }
            if c.members[0] == c.members[1] {
                return bad(format!(
                    "{what}: members must differ (Saved Messages comes later)"
                ));
            }
            check_messages(&c.messages, &c.members, &what)?;
        }
        for g in &self.groups {
            let what = format!("group {:?}", g.title);
            if g.title.is_empty() {
                return bad("a group has an empty title".into());
            }
            known(&g.creator, &what)?;
            for m in &g.members {
                known(m, &what)?;
            }
            if !g.members.contains(&g.creator) {
                return bad(format!(
                    "{what}: creator {:?} must be among the members",
                    g.creator
                ));
            }
            check_messages(&g.messages, &g.members, &what)?;
        }
        for c in &self.channels {
            let what = format!("channel {:?}", c.title);
            if c.title.is_empty() {
                return bad("a channel has an empty title".into());
            }
            known(&c.creator, &what)?;
            for m in c.members.iter().chain(&c.admins) {
                known(m, &what)?;
            }
            if let Some(u) = &c.username {
                if !crate::usernames::valid_username(u) {
                    return bad(format!(
                        "{what}: username {u:?} must be 5-32 letters, digits or '_', starting with a letter and not ending in '_'"
                    ));
                }
                if !usernames.insert(u.to_lowercase()) {
                    return bad(format!("username {u:?} is used twice"));
                }
            }
            let mut all = c.members.clone();
            all.push(c.creator.clone());
            all.extend(c.admins.iter().cloned());
            if c.megagroup {
                check_messages(&c.messages, &all, &what)?;
            } else {
                let mut posters = c.admins.clone();
                posters.push(c.creator.clone());
                if let Some(m) = c.messages.iter().find(|m| !posters.contains(&m.from)) {
                    return bad(format!(
                        "{what}: message from {:?}, but only the creator and admins post in a broadcast channel (set megagroup = true for a supergroup)",
                        m.from
                    ));
                }
            }
        }
        Ok(())
    }
}
