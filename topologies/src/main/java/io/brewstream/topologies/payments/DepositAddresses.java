package io.brewstream.topologies.payments;

import java.util.Arrays;

import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.web3j.crypto.Keys;

/**
 * A shop's deposit addresses, derived from its watch-only extended public key: the account key of BIP44's path
 * {@code m/44'/60'/0'} (an {@code xpub...}, as a wallet exports it), below which the {@code i}-th invoice's
 * address is {@code m/44'/60'/0'/0/i}. Only public derivation: no private key is ever in the system, and the
 * shop's wallet holds the keys that spend what arrives. BIP32 arithmetic by bitcoinj (web3j's own public-only
 * derivation has open bugs); the Ethereum address (Keccak-256 of the uncompressed key, EIP-55 checksum) by web3j.
 */
public final class DepositAddresses {
    /** Invoice addresses are on the external chain of the account, {@code .../0/i}. */
    private static final ChildNumber EXTERNAL_CHAIN = new ChildNumber(0, false);

    private final DeterministicKey external;

    /** @param accountXpub the account-level extended public key ({@code m/44'/60'/0'}), Base58Check */
    public DepositAddresses(String accountXpub) {
        DeterministicKey account;
        try {
            account = DeterministicKey.deserializeB58(accountXpub.trim(), BitcoinNetwork.MAINNET);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an extended public key (xpub...): " + e.getMessage(), e);
        }
        if (account.hasPrivKey()) {
            throw new IllegalArgumentException("an extended private key was given: only the watch-only xpub may be"
                    + " configured, the keys that spend stay in the shop's wallet");
        }
        this.external = child(account, EXTERNAL_CHAIN.num());
    }

    /** The address of invoice {@code index} ({@code m/44'/60'/0'/0/index}), EIP-55 checksummed. */
    public String address(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("an address index is 0 or more, was " + index);
        }
        return ethereumAddress(child(external, index));
    }

    /** BIP32's public child derivation (CKDpub): the non-hardened child {@code index} of a public key. */
    static DeterministicKey child(DeterministicKey parent, int index) {
        return HDKeyDerivation.deriveChildKey(parent, new ChildNumber(index, false));
    }

    /** The Ethereum address of a public key: the last 20 bytes of Keccak-256 over its 64-byte uncompressed form. */
    static String ethereumAddress(DeterministicKey key) {
        byte[] uncompressed = key.getPubKeyPoint().getEncoded(false); // 0x04 || x || y
        return Keys.toChecksumAddress(Keys.getAddress(org.web3j.utils.Numeric.toHexString(
                Arrays.copyOfRange(uncompressed, 1, uncompressed.length))));
    }
}
