//! Every async operation of the service can run on a multi-threaded runtime (tokio::spawn,
//! Tauri commands): its future is `Send`.

use hearth_accounts::{AccountId, Accounts, LoginFlow, NetworkSpec};

fn send<T: Send>(_: &T) {}

#[allow(dead_code, unused_must_use)]
async fn futures_are_send(a: Accounts, mut flow: LoginFlow) {
    let id = AccountId(1);
    send(&a.begin_login(NetworkSpec::BuiltinLocal, None));
    send(&a.client(id));
    send(&a.remove(id));
    send(&a.log_out(id));
    send(&a.set_proxy(id, None));
    send(&a.sessions(id));
    send(&a.terminate(id, 1));
    send(&a.terminate_others(id));
    send(&a.shutdown());
    send(&flow.request_code(""));
    send(&flow.resend());
    send(&flow.submit_code(""));
    send(&flow.submit_password(""));
    send(&flow.sign_up("", ""));
    send(&flow.bot_token(""));
    send(&flow.qr_start());
    send(&flow.qr_wait());
    send(&flow.qr(|_| {}));
    send(&flow);
    send(&a);
}

#[test]
fn the_service_and_its_flows_are_send_and_sync() {
    fn sync<T: Send + Sync>() {}
    sync::<Accounts>();
    sync::<LoginFlow>();
}

#[allow(dead_code, unused_must_use)]
fn transfer_futures_are_send(
    t: hearth_accounts::Transfers,
    d: hearth_accounts::DownloadRequest,
    u: hearth_accounts::UploadRequest,
) {
    send(&t.start_download(d));
    send(&t.start_upload(u));
    send(&t.wait(1));
    send(&t);
}
