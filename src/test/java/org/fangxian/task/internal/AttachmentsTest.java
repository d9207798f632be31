package org.fangxian.task.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

	@Test
	void aPhotoClaimingBillionsOfPixelsIsRefusedBeforeItIsDecoded() throws IOException {
		// 65,500 × 65,500 pixels in a few hundred bytes: no array holds it.
		assertThatThrownBy(() -> Attachments.check(AttachmentsTestImages.jpegClaiming(65_500, 65_500)))
			.isInstanceOfSatisfying(InvalidInput.class,
					ex -> assertThat(ex.messageKey()).isEqualTo("task.attachment.tooManyPixels"));
		// 20,000 × 20,000: 1.2 GB of pixels, which the decoder would try to allocate.
		assertThatThrownBy(() -> Attachments.check(AttachmentsTestImages.jpegClaiming(20_000, 20_000)))
			.isInstanceOfSatisfying(InvalidInput.class,
					ex -> assertThat(ex.messageKey()).isEqualTo("task.attachment.tooManyPixels"));
		// A JPEG cut short after its header cannot be read: bad input too.
		byte[] cut = java.util.Arrays.copyOf(jpeg(), 40);
		assertThatThrownBy(() -> Attachments.check(cut)).isInstanceOf(InvalidInput.class);
	}

}
