package io.brewstream.topologies.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.bitcoinj.crypto.MnemonicCode;
import org.junit.jupiter.api.Test;

/** Public derivation against BIP32's published test vectors, and Ethereum addresses against well-known wallets. */
class DepositAddressesTest {
    private static DeterministicKey xpub(String b58) {
        return DeterministicKey.deserializeB58(b58, BitcoinNetwork.MAINNET);
    }

    @Test
    void publicDerivationMatchesBip32TestVectorOne() {
        // BIP32 test vector 1: chain m/0H -> m/0H/1, and m/0H/1/2H -> m/0H/1/2H/2 -> m/0H/1/2H/2/1000000000
        DeterministicKey m0h = xpub("xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw");
        assertThat(DepositAddresses.child(m0h, 1).serializePubB58(BitcoinNetwork.MAINNET)).isEqualTo(
                "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ");
        DeterministicKey m0h12h = xpub("xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5");
        DeterministicKey m0h12h2 = DepositAddresses.child(m0h12h, 2);
        assertThat(m0h12h2.serializePubB58(BitcoinNetwork.MAINNET)).isEqualTo(
                "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV");
        assertThat(DepositAddresses.child(m0h12h2, 1_000_000_000).serializePubB58(BitcoinNetwork.MAINNET)).isEqualTo(
                "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy");
    }

    /** The account xpub {@code m/44'/60'/0'} of a mnemonic, as a wallet would export it (private keys: test only). */
    private static String accountXpub(String mnemonic) {
        DeterministicKey key = HDKeyDerivation.createMasterPrivateKey(MnemonicCode.toSeed(List.of(mnemonic.split(" ")), ""));
        for (ChildNumber hardened : List.of(new ChildNumber(44, true), new ChildNumber(60, true), new ChildNumber(0, true))) {
            key = HDKeyDerivation.deriveChildKey(key, hardened);
        }
        return key.serializePubB58(BitcoinNetwork.MAINNET);
    }

    @Test
    void addressesAreTheOnesEthereumWalletsShowForTheSameMnemonic() {
        // anvil's and Hardhat's development mnemonic: accounts 0 and 1 are known to every Ethereum developer
        DepositAddresses anvil = new DepositAddresses(accountXpub("test test test test test test test test test test test junk"));
        assertThat(anvil.address(0)).isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assertThat(anvil.address(1)).isEqualTo("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        // BIP39's all-"abandon" mnemonic, m/44'/60'/0'/0/0, as in ethers' and MetaMask's tests
        assertThat(new DepositAddresses(accountXpub("abandon abandon abandon abandon abandon abandon abandon abandon"
                + " abandon abandon abandon about")).address(0)).isEqualTo("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    }

    @Test
    void aPrivateKeyOrGarbageIsRefused() {
        String xprv = HDKeyDerivation.createMasterPrivateKey(new byte[32]).serializePrivB58(BitcoinNetwork.MAINNET);
        assertThatThrownBy(() -> new DepositAddresses(xprv)).hasMessageContaining("only the watch-only xpub");
        assertThatThrownBy(() -> new DepositAddresses("xpub-not-really")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DepositAddresses(accountXpub("test test test test test test test test test test test junk"))
                .address(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
