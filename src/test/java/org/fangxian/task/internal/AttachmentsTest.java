package org.fangxian.task.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentsTest {

	static byte[] jpeg() throws IOException {
		return AttachmentsTestImages.jpeg();
	}

	static byte[] jpegWithExif() throws IOException {
		return AttachmentsTestImages.jpegWithExif();
	}

	@Test
	void theTypeComesFromTheContent() throws IOException {
		assertThat(Attachments.sniff(jpeg())).isEqualTo("image/jpeg");
		assertThat(Attachments.sniff("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo("application/pdf");
		assertThat(Attachments.sniff("<html><script>".getBytes(StandardCharsets.US_ASCII))).isNull();
		assertThat(Attachments.sniff(new byte[] { 'M', 'Z' })).isNull();
	}

	@Test
	void reEncodingLeavesTheLocationBehind() throws IOException {
		byte[] withExif = jpegWithExif();
		assertThat(new String(withExif, StandardCharsets.ISO_8859_1)).contains("GPS 31.2304N");
		byte[] stripped = Attachments.withoutMetadata(withExif);
		assertThat(Attachments.sniff(stripped)).isEqualTo("image/jpeg");
		assertThat(new String(stripped, StandardCharsets.ISO_8859_1)).doesNotContain("GPS").doesNotContain("Exif");
	}

}
