package io.brewstream.connectors.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * A local development chain (anvil) driven with web3j: deploys the ERC-20 compiled offline
 * ({@code chain/TestToken.sol}, its ABI and bytecode committed beside it, so the build never needs Node for it),
 * mints, pays in ETH or tokens from anvil's funded development accounts, mines blocks and reorganises the chain.
 * For tests and the standalone stack's {@code --chain} demo; never pointed at a real network.
 */
public final class LocalChain implements AutoCloseable {
    /** anvil's development accounts 0..2, from its published mnemonic. */
    public static final List<String> DEV_KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(3_000_000L);

    private final Web3j web3j;
    private final HttpService service;
    private final long chainId;

    public LocalChain(String rpcUrl, long chainId) {
        this.service = new HttpService(rpcUrl);
        this.web3j = Web3j.build(service);
        this.chainId = chainId;
    }

    public static Credentials account(int index) {
        return Credentials.create(DEV_KEYS.get(index));
    }

    /** Deploys a TestToken (six decimals); returns its address. */
    public String deployToken(String name, String symbol) {
        String bytecode = resource("chain/TestToken.bin").trim();
        String constructor = FunctionEncoder.encodeConstructor(List.of(new Utf8String(name), new Utf8String(symbol)));
        TransactionReceipt receipt = send(account(0), null, "0x" + bytecode + constructor, BigInteger.ZERO);
        return receipt.getContractAddress();
    }

    /**
     * The demo's USDC: the first contract anvil's account 0 deploys on a fresh chain is always at this address; on a
     * chain kept from an earlier run it is already there.
     */
    public String demoToken() {
        String expected = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
        try {
            String code = web3j.ethGetCode(expected, org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getCode();
            if (code != null && code.length() > 2) {
                return expected;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deployToken("Demo USD Coin", "USDC");
    }

    public TransactionReceipt mint(String token, String to, BigInteger amount) {
        return call(account(0), token, new Function("mint", Arrays.asList(new Address(to), new Uint256(amount)), List.of()));
    }

    /** An ERC-20 transfer from a development account. */
    public TransactionReceipt transferToken(int fromAccount, String token, String to, BigInteger amount) {
        return call(account(fromAccount), token, new Function("transfer", Arrays.asList(new Address(to),
                new Uint256(amount)), List.of()));
    }

    /** Plain ETH from a development account. */
    public TransactionReceipt sendEth(int fromAccount, String to, BigInteger wei) {
        return send(account(fromAccount), to, "", wei);
    }

    /**
     * An ERC-20 transfer handed to the node without waiting for its block (for filling one block with many: with
     * automining off, they all go into the next {@link #mineOne()}); returns its transaction hash.
     */
    public String submitTokenTransfer(int fromAccount, String token, String to, BigInteger amount, BigInteger nonce) {
        try {
            org.web3j.crypto.RawTransaction tx = org.web3j.crypto.RawTransaction.createTransaction(nonce, GAS_PRICE,
                    BigInteger.valueOf(100_000), token, FunctionEncoder.encode(new Function("transfer",
                            Arrays.asList(new Address(to), new Uint256(amount)), List.of())));
            String signed = org.web3j.utils.Numeric.toHexString(org.web3j.crypto.TransactionEncoder.signMessage(tx,
                    chainId, account(fromAccount)));
            EthSendTransaction sent = web3j.ethSendRawTransaction(signed).send();
            if (sent.hasError()) {
                throw new IllegalStateException("transaction refused: " + sent.getError().getMessage());
            }
            return sent.getTransactionHash();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next nonce of a development account, counting transactions still pending. */
    public BigInteger nonce(int account) {
        try {
            return web3j.ethGetTransactionCount(account(account).getAddress(),
                    org.web3j.protocol.core.DefaultBlockParameterName.PENDING).send().getTransactionCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code evm_setAutomine}: whether each transaction gets its own block at once (anvil's default). */
    public void automine(boolean on) {
        rpc("evm_setAutomine", List.of(on));
    }

    /** {@code evm_setBlockGasLimit}: room for many transfers in one block. */
    public void blockGasLimit(long gas) {
        rpc("evm_setBlockGasLimit", List.of("0x" + Long.toHexString(gas)));
    }

    /** {@code evm_mine}: one block with whatever is pending. */
    public void mineOne() {
        rpc("evm_mine", List.of());
    }

    /** {@code anvil_mine}: {@code blocks} empty blocks on top. */
    public void mine(int blocks) {
        rpc("anvil_mine", List.of(Integer.toHexString(blocks)));
    }

    /**
     * {@code anvil_reorg}: the last {@code depth} blocks replaced by as many new ones (with other hashes), without
     * the transactions they held.
     */
    public void reorg(int depth) {
        rpc("anvil_reorg", List.of(depth, List.of()));
    }

    public long blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber().longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TransactionReceipt call(Credentials from, String contract, Function function) {
        return send(from, contract, FunctionEncoder.encode(function), BigInteger.ZERO);
    }

    private TransactionReceipt send(Credentials from, String to, String data, BigInteger value) {
        try {
            RawTransactionManager manager = new RawTransactionManager(web3j, from, chainId);
            EthSendTransaction sent = manager.sendTransaction(GAS_PRICE, GAS_LIMIT, to, data, value);
            if (sent.hasError()) {
                throw new IllegalStateException("transaction refused: " + sent.getError().getMessage());
            }
            TransactionReceipt receipt = new PollingTransactionReceiptProcessor(web3j, 50, 200)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException("transaction " + sent.getTransactionHash() + " failed: " + receipt.getStatus());
            }
            return receipt;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.web3j.protocol.exceptions.TransactionException e) {
            throw new IllegalStateException(e);
        }
    }

    private void rpc(String method, List<?> params) {
        try {
            Response<?> response = new Request<>(method, params, service, RawResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException(method + ": " + response.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any JSON-RPC answer. */
    public static final class RawResponse extends Response<Object> {
    }

    private static String resource(String name) {
        try (InputStream in = LocalChain.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
