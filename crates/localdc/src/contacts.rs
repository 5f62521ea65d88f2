//! Phone numbers imported with `contacts.importContacts` that belong to no
//! account yet (core.telegram.org/method/contacts.importContacts): Telegram
//! counts how many accounts imported each such number and reports it as
//! `popularContact.importers`. Saved contacts themselves live on
//! [`crate::users::User`] (`contacts`, `contact_of`), where `tl_user` reads them.

use std::collections::BTreeMap;

use crate::users::SavedName;

/// Imports of unregistered numbers.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PhoneBook {
    /// Normalised phone number → accounts that imported it, with the name
    /// each gave it.
    unregistered: BTreeMap<String, BTreeMap<i64, SavedName>>,
}

impl PhoneBook {
    /// `importer` imported `phone`, which no account has; returns how many
    /// accounts have imported it so far.
    pub fn import_unregistered(&mut self, phone: &str, importer: i64, name: SavedName) -> i32 {
        let set = self.unregistered.entry(phone.to_owned()).or_default();
        set.insert(importer, name);
        i32::try_from(set.len()).unwrap_or(i32::MAX)
    }

    /// Forgets `phone` once an account signs up with it; returns its importers.
    pub fn registered(&mut self, phone: &str) -> Option<BTreeMap<i64, SavedName>> {
        self.unregistered.remove(phone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importers_are_counted_once_each() {
        let mut book = PhoneBook::default();
        let n = SavedName::default;
        assert_eq!(book.import_unregistered("15550001", 1, n()), 1);
        assert_eq!(book.import_unregistered("15550001", 1, n()), 1);
        assert_eq!(book.import_unregistered("15550001", 2, n()), 2);
        assert_eq!(book.import_unregistered("15550002", 2, n()), 1);
        assert_eq!(book.registered("15550001").map(|s| s.len()), Some(2));
        assert_eq!(book.import_unregistered("15550001", 3, n()), 1);
    }
}
