//! Contacts (contacts.getContacts/importContacts/deleteContacts) and the
//! world file's `contacts`, from accounts signed in through hearth-client.

use crate::authz_support::*;
use crate::common::account::*;
use crate::common::engine::*;
use crate::common::*;
use hearth_client::PeerId;
use hearth_tl::{enums, functions, types};

#[tokio::test]
async fn contacts_import_list_hash_and_delete() {
    let dc = start_demo().await;
    let alice = Account::sign_in(&dc, ALICE).await;
    let dave = signed_up_dave(&dc).await;
    let dave_user = &dave.user;

    // The demo world saves bob in alice's contacts.
    let enums::contacts::Contacts::Contacts(start) = contacts(&alice, 0).await else {
        panic!("contacts.contacts")
    };
    let bob_id = 1_000_002;
    assert_eq!(start.saved_count, 1);
    assert!(
        matches!(&start.contacts[..], [enums::Contact::Contact(c)] if c.user_id == bob_id && !c.mutual)
    );
    assert!(user_in(&start.users, bob_id).contact);

    let enums::contacts::ImportedContacts::ImportedContacts(imp) = alice
        .invoke(&functions::contacts::ImportContacts {
            contacts: vec![
                phone_contact(11, "+999 663 0001"),
                phone_contact(12, "15550001"),
            ],
        })
        .await
        .unwrap();
    assert!(
        matches!(&imp.imported[..], [enums::ImportedContact::ImportedContact(i)]
        if i.user_id == dave_user.id && i.client_id == 11)
    );
    assert!(
        matches!(&imp.popular_invites[..], [enums::PopularContact::PopularContact(p)]
        if p.client_id == 12 && p.importers == 1)
    );
    assert!(imp.retry_contacts.is_empty());
    let seen = user_in(&imp.users, dave_user.id);
    assert_eq!(
        seen.first_name.as_deref(),
        Some("Someone"),
        "shown under the name alice saved"
    );
    assert_eq!(dave_user.first_name.as_deref(), Some("Dave"));
    assert!(seen.contact && !seen.mutual_contact);
    assert_eq!(seen.phone, None, "phones stay private");
    // The imported user is met: alice can write to dave with that access
    // hash, which her client took from the answer.
    let dave_hash = alice.hash(PeerId::User(dave_user.id));
    assert_eq!(Some(dave_hash), seen.access_hash);
    alice
        .call(&send_text_request(
            alice.user_peer(dave_user.id),
            "hi dave",
            5,
        ))
        .await;

    let enums::contacts::Contacts::Contacts(now) = contacts(&alice, 0).await else {
        panic!("contacts.contacts")
    };
    assert_eq!(now.saved_count, 2);
    let mut ids = [bob_id, dave_user.id];
    ids.sort();
    let hash = localdc::rpc::contacts::vector_hash(
        std::iter::once(2u64).chain(ids.iter().map(|i| *i as u64)),
    );
    assert!(matches!(
        contacts(&alice, hash).await,
        enums::contacts::Contacts::ContactsNotModified
    ));
    assert!(matches!(
        contacts(&alice, hash ^ 1).await,
        enums::contacts::Contacts::Contacts(_)
    ));

    // Dave saves alice back: mutual.
    dave.invoke(&functions::contacts::ImportContacts {
        contacts: vec![phone_contact(1, ALICE)],
    })
    .await
    .unwrap();
    // The hash covers the list, not the mutual flags.
    assert!(matches!(
        contacts(&alice, hash).await,
        enums::contacts::Contacts::ContactsNotModified
    ));
    let enums::contacts::Contacts::Contacts(mutual) = contacts(&alice, 0).await else {
        panic!("contacts.contacts")
    };
    assert!(mutual
        .contacts
        .iter()
        .any(|c| matches!(c, enums::Contact::Contact(c) if c.user_id == dave_user.id && c.mutual)));
    assert!(user_in(&mutual.users, dave_user.id).mutual_contact);

    // A user alice never met cannot be deleted; dave can.
    let (code, msg) = err_of(
        &alice,
        &functions::contacts::DeleteContacts {
            id: vec![enums::InputUser::InputUser(types::InputUser {
                user_id: dave_user.id,
                access_hash: dave_hash ^ 1,
            })],
        },
    )
    .await;
    assert_eq!((code, msg.as_str()), (400, "CONTACT_ID_INVALID"));
    let enums::Updates::Updates(u) = alice
        .invoke(&functions::contacts::DeleteContacts {
            id: vec![enums::InputUser::InputUser(types::InputUser {
                user_id: dave_user.id,
                access_hash: dave_hash,
            })],
        })
        .await
        .unwrap()
    else {
        panic!("updates")
    };
    let gone = user_in(&u.users, dave_user.id);
    assert!(!gone.contact);
    assert_eq!(gone.first_name.as_deref(), Some("Dave"), "own name again");
    let enums::contacts::Contacts::Contacts(after) = contacts(&alice, hash).await else {
        panic!("contacts.contacts")
    };
    assert_eq!(after.saved_count, 1);
    // Unknown number imported by a second account counts two importers.
    let enums::contacts::ImportedContacts::ImportedContacts(imp2) = dave
        .invoke(&functions::contacts::ImportContacts {
            contacts: vec![phone_contact(7, "15550001")],
        })
        .await
        .unwrap();
    assert!(
        matches!(&imp2.popular_invites[..], [enums::PopularContact::PopularContact(p)] if p.importers == 2)
    );
    dc.shutdown().await;
}

#[tokio::test]
async fn importers_of_an_unregistered_number_get_the_account_that_signs_up_with_it() {
    let dc = start_demo().await;
    let bob = Account::sign_in(&dc, BOB).await;
    let enums::contacts::ImportedContacts::ImportedContacts(imp) = bob
        .invoke(&functions::contacts::ImportContacts {
            contacts: vec![phone_contact(3, "9996630001")],
        })
        .await
        .unwrap();
    assert!(imp.imported.is_empty() && imp.users.is_empty());
    assert_eq!(imp.popular_invites.len(), 1);
    let dave = signed_up_dave(&dc).await;
    let dave_user = &dave.user;
    let enums::contacts::Contacts::Contacts(c) = contacts(&bob, 0).await else {
        panic!("contacts.contacts")
    };
    let listed = user_in(&c.users, dave_user.id);
    assert_eq!(listed.first_name.as_deref(), Some("Someone"));
    assert!(listed.contact && !listed.mutual_contact);
    assert_eq!(c.saved_count, 1);
    dc.shutdown().await;
}

#[test]
fn world_contacts_must_name_accounts() {
    use localdc::world::World;
    let base = r#"
[[account]]
name = "a"
phone = "9996621000"
first_name = "A"
contacts = CONTACTS
[[account]]
name = "b"
phone = "9996621001"
first_name = "B"
"#;
    let ok = World::parse(&base.replace("CONTACTS", r#"["b"]"#), "t").unwrap();
    assert_eq!(ok.accounts[0].contacts, vec!["b".to_string()]);
    let err = World::parse(&base.replace("CONTACTS", r#"["zed"]"#), "t").unwrap_err();
    assert!(err.to_string().contains("\"zed\""), "{err}");
    let err = World::parse(&base.replace("CONTACTS", r#"["a"]"#), "t").unwrap_err();
    assert!(err.to_string().contains("itself"), "{err}");
}
