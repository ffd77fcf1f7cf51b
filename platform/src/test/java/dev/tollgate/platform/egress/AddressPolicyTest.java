package dev.tollgate.platform.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, loopback",
            "127.8.9.10, loopback",
            "::1, loopback",
            "0.0.0.0, unspecified",
            "::, unspecified",
            "10.1.2.3, private",
            "172.16.0.1, private",
            "172.31.255.254, private",
            "192.168.1.1, private",
            "100.64.0.1, private",
            "169.254.10.20, link-local",
            "fe80::1, link-local",
            "fc00::1, unique-local",
            "fd12:3456:789a::1, unique-local",
            "224.0.0.1, multicast",
            "239.255.255.250, multicast",
            "ff02::1, multicast",
            "169.254.169.254, cloud metadata",
            "fd00:ec2::254, cloud metadata",
            "100.100.100.200, cloud metadata",
            "255.255.255.255, reserved",
            "198.18.0.1, reserved",
            "2001:db8::1, reserved",
    })
    void refusesEveryAddressThatIsNotPublicUnicast(String address, String expectedClass) throws UnknownHostException {
        assertEquals(Optional.of(expectedClass), AddressPolicy.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:0001::1",
            "2002:c0a8:0101::1" })
    void judgesIpv6FormsByTheIpv4AddressTheyCarry(String address) throws UnknownHostException {
        Optional<String> refusal = AddressPolicy.refusal(InetAddress.getByName(address));
        assertTrue(refusal.isPresent(), address + " must be refused");
    }

    @ParameterizedTest
    @ValueSource(strings = { "93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e", "64:ff9b::808:808" })
    void allowsPublicUnicastAddresses(String address) throws UnknownHostException {
        assertEquals(Optional.empty(), AddressPolicy.refusal(InetAddress.getByName(address)));
    }
}
