package org.fangxian.task.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;

/** Photos for tests: a plain JPEG, and one carrying a location in an Exif block. */
public final class AttachmentsTestImages {

	private AttachmentsTestImages() {
	}

	public static byte[] jpeg() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpg", out);
		return out.toByteArray();
	}

	/** A JPEG with an APP1 Exif segment (holding "GPS") right after its start marker. */
	public static byte[] jpegWithExif() throws IOException {
		byte[] plain = jpeg();
		byte[] payload = "Exif\0\0GPS 31.2304N 121.4737E".getBytes(StandardCharsets.ISO_8859_1);
		int length = payload.length + 2;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(plain, 0, 2);
		out.write(new byte[] { (byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length });
		out.write(payload);
		out.write(plain, 2, plain.length - 2);
		return out.toByteArray();
	}

}
