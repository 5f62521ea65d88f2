"""TgCrypto throughput, measured the same way as
crates/crypto/examples/throughput.rs: for each size, repeat the operation on
one buffer until at least MIN_SECONDS of thread CPU time (time.thread_time,
i.e. CLOCK_THREAD_CPUTIME_ID) have passed, keep the best of ROUNDS runs,
report MB/s (10^6 bytes per CPU second). Output lines: `<op> <size> <MB/s>`.

Run by scripts/bench-crypto.sh inside a throwaway venv with TgCrypto installed.
"""

import time

import tgcrypto

ROUNDS = 40
MIN_SECONDS = 0.025
SIZES = (16 * 1024, 1024 * 1024)


def measure(size, op):
    data = bytes((i * 7 + 1) & 0xFF for i in range(size))
    best = 0.0
    for _ in range(ROUNDS):
        start = time.thread_time()
        iterations = 0
        while time.thread_time() - start < MIN_SECONDS:
            data = op(data)
            iterations += 1
        secs = time.thread_time() - start
        best = max(best, iterations * size / secs / 1e6)
    return best


def main():
    key = bytes([0x42] * 32)
    iv32 = bytes([0x24] * 32)
    iv16 = bytes([0x24] * 16)
    for size in SIZES:
        enc = measure(size, lambda b: tgcrypto.ige256_encrypt(b, key, iv32))
        print(f"ige256_encrypt {size} {enc:.1f}")
        dec = measure(size, lambda b: tgcrypto.ige256_decrypt(b, key, iv32))
        print(f"ige256_decrypt {size} {dec:.1f}")
        ctr = measure(size, lambda b: tgcrypto.ctr256_encrypt(b, key, iv16, bytes(1)))
        print(f"ctr256_encrypt {size} {ctr:.1f}")


if __name__ == "__main__":
    main()
